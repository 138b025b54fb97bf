// The command table: every command of ts-audit, each declared once in its own module. src/cli.ts
// walks it; the help groups and orders them by task (cli/help.ts, COMMAND_GROUPS).
import type { CommandSpec } from '../table.js';
import { completion } from './completion.js';
import { demo } from './demo.js';
import { diff } from './diff.js';
import { doctor } from './doctor.js';
import { explain } from './explain.js';
import { investigation } from './investigation.js';
import { logs } from './logs.js';
import { queries } from './queries.js';
import { report } from './report.js';
import { rescue } from './rescue.js';
import { timeline } from './timeline.js';
import { watch } from './watch.js';

export const COMMANDS: CommandSpec[] = [diff, timeline, queries, explain, demo, logs, report, watch, rescue, doctor, completion, ...investigation];
