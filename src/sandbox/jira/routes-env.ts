import type { SwitchReader } from '../kit/route-table.js';
import type { JiraSite } from './site.js';

/** What every Jira route module needs: the site's state and the live value of a behaviour switch. */
export interface JiraRouteEnv {
  site: JiraSite;
  switchOf: SwitchReader;
}
