/**
 * @file Entry point of the `optimgrad-demo` binary (built to `dist/cli.js` with a shebang).
 */
import { main } from './main';

process.exitCode = await main(process.argv);
