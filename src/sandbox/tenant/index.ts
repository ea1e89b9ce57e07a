export {
  DemoTenant,
  type DemoTenantOptions,
  type FindingKind,
  MAX_FINDINGS,
  MIN_FINDINGS,
} from './tenant.js';
export type * from './types.js';
