// How the commands whose result is a Report (diff, the investigation commands, logs; demo's two)
// render and deliver it: a reporter per --format (src/report/index.ts), the exit code --fail-on
// calls for, and what a report writes besides itself (--write-baseline, GitHub's step summary).
import type { RenderOptions, Report } from '../report/types.js';
import { type CommonFlags, REPORT_FORMATS } from './options.js';
import { err, exitCodeFor, writeWhole } from './output.js';
import type { CommandSpec, Renderer, Rendering } from './table.js';

/** What every reporter gets besides the report, from what the walker knows. */
export const renderOptions = (how: Rendering<CommonFlags>): RenderOptions => ({
  colorLevel: how.colorLevel,
  width: how.width,
  quiet: how.flags.quiet,
  failOn: how.flags.failOn,
  runSeconds: how.runSeconds,
  maxRows: how.flags.maxRows,
});

/** The report in one format, as chunks (the reporter's module is loaded only now). */
export async function renderReport(format: string, report: Report, how: Rendering<CommonFlags>): Promise<Iterable<string>> {
  const { REPORTERS } = await import('../report/index.js');
  const reporter = REPORTERS[format];
  if (!reporter) throw new Error(`src/report/index.ts: no reporter for --format ${format}`);
  return reporter(report, renderOptions(how));
}

/** A renderer per report format. */
export const REPORT_RENDERERS: Record<string, Renderer<Report, CommonFlags>> = Object.fromEntries(
  REPORT_FORMATS.map((format) => [format, (report: Report, how: Rendering<CommonFlags>) => renderReport(format, report, how)]),
);

/** --write-baseline: the report's findings (those not suppressed already) as a baseline file. */
export async function writeBaseline(report: Report, flags: CommonFlags): Promise<void> {
  if (!flags.writeBaseline) return;
  const { baselineText, unsuppressedFindings } = await import('../baseline.js');
  const all = unsuppressedFindings(report);
  await writeWhole(flags.writeBaseline, baselineText(all, report.generatedAt), 'baseline');
  err(`ts-audit: baseline of ${all.length} findings written to ${flags.writeBaseline}\n`);
}

/** Under GitHub Actions (GITHUB_STEP_SUMMARY), the report in Markdown appended to the file the run's page shows. */
export async function appendStepSummary(report: Report, how: Rendering<CommonFlags>): Promise<void> {
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (!summaryFile) return;
  const markdown = await renderReport('markdown', report, { ...how, colorLevel: 0 });
  const { appendChunks } = await import('../files.js');
  await appendChunks(summaryFile, markdown).catch((e: Error) => err(`ts-audit: warning: cannot append to GITHUB_STEP_SUMMARY: ${e.message}\n`));
}

/** The render, exit code and delivery of a command whose result is one Report. */
export const REPORT_OUTPUT = {
  render: REPORT_RENDERERS,
  exitCode: (report: Report, flags: CommonFlags) => exitCodeFor(report.findings, flags.failOn),
  output: { what: 'report', said: (_report: Report, flags: CommonFlags) => (flags.verbose || flags.debug ? 'report' : undefined) },
  alsoWrites: async (report: Report, how: Rendering<CommonFlags>) => {
    await writeBaseline(report, how.flags);
    await appendStepSummary(report, how);
  },
} satisfies Pick<CommandSpec<Report, CommonFlags>, 'render' | 'exitCode' | 'output' | 'alsoWrites'>;
