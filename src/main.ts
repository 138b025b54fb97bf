// The executable's entry: runs the CLI with the process's arguments and sets the exit code.
import { main } from './cli.js';
import { EXIT } from './errors.js';

// A reader that stops early (`ts-audit diff ... | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
});
process.exitCode = await main(process.argv);
