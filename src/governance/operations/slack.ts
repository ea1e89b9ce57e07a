// Slack's operations are declared next to the connector, which owns their schemas and handlers.
export { slackOperations } from '../../connectors/slack/operations.js';
