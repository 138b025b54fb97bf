// The global setup of the projects that use no database (the unit tests): the run's temporary folder
// only, no server.
import { useRunTmp } from './run-tmp.js';

export default function setup(): () => void {
  return useRunTmp();
}
