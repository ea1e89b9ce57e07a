// PagerDuty's operations are declared next to the connector, which owns their schemas and handlers.
export { pagerdutyOperations } from '../../connectors/pagerduty/operations.js';
