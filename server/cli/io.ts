/** What a command line writes to, so that tests run it in-process; and running a module as the command. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs `main` when the module at `moduleUrl` is the script node/tsx was started with, and sets the exit code. */
export function runIfMain(moduleUrl: string, main: (argv: string[], io: CliIo) => Promise<number>): void {
  const script = process.argv[1];
  if (!script || realpathSync(script) !== realpathSync(fileURLToPath(moduleUrl))) return;
  main(process.argv.slice(2), processIo).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`unexpected error: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
