// Jira's operations are declared next to the connector, which owns their schemas and handlers.
export { jiraOperations } from '../../connectors/jira/operations.js';
