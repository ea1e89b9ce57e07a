import { credentialsTestOperations } from '../../connectors/registry.js';
import { type Operation, OperationCatalog } from '../catalog.js';
import { awsOperations } from './aws.js';
import { jiraOperations } from './jira.js';
import { pagerdutyOperations } from './pagerduty.js';
import { qualysOperations } from './qualys.js';
import { servicenowOperations } from './servicenow.js';
import { slackOperations } from './slack.js';
import { wizOperations } from './wiz.js';

/** Every operation Arx ships with, one list per connector, and each connector's credential check. */
export const builtinOperations: readonly Operation[] = [
  ...wizOperations,
  ...qualysOperations,
  ...jiraOperations,
  ...slackOperations,
  ...pagerdutyOperations,
  ...servicenowOperations,
  ...awsOperations,
  ...credentialsTestOperations,
];

let shared: OperationCatalog | undefined;

/** The catalog of built-in operations. */
export function builtinCatalog(): OperationCatalog {
  shared ??= new OperationCatalog(builtinOperations);
  return shared;
}
