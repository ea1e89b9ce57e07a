// Wiz's operations are declared next to the connector, which owns their schemas and handlers.
export { wizOperations } from '../../connectors/wiz/operations.js';
