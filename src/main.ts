// The executable's entry: runs the CLI with the process's arguments and sets the exit code.
import { main } from './cli.js';
import { EXIT } from './errors.js';
import { fileProblem } from './files.js';
import { installInterruptHandlers } from './interrupt.js';

// A one-shot run cancels its query and exits 130/143 on a signal; watch and demo handle their own.
if (!['watch', 'demo'].includes(process.argv[2] ?? '')) installInterruptHandlers();

// Standard output that cannot be written (a full disk, a closed pipe): the output is incomplete, so
// the run is not a success whatever it found. One line, and exit 2, never 0 with half a script.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  const why = e.code === 'EPIPE' ? 'the reader closed the pipe' : fileProblem(e, 'standard output');
  process.stderr.write(`ts-audit: cannot write to standard output: ${why}: the output is incomplete\n`);
  process.exit(EXIT.usage);
});
process.exitCode = await main(process.argv);
