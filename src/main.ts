// The executable's entry: runs the CLI with the process's arguments and sets the exit code.
import { main } from './cli.js';
import { EXIT } from './errors.js';
import { installInterruptHandlers } from './interrupt.js';

// A one-shot run cancels its query and exits 130/143 on a signal; watch and demo handle their own.
if (!['watch', 'demo'].includes(process.argv[2] ?? '')) installInterruptHandlers();

// A reader that stops early (`ts-audit diff ... | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
});
process.exitCode = await main(process.argv);
