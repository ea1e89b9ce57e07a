// ServiceNow's operations are declared next to the connector, which owns their schemas and handlers.
export { servicenowOperations } from '../../connectors/servicenow/operations.js';
