// Qualys' operations are declared next to the connector, which owns their schemas and handlers.
export { qualysOperations } from '../../connectors/qualys/operations.js';
