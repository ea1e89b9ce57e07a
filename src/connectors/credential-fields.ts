import { AWS_CREDENTIAL_FIELDS } from './aws/credential-fields.js';
import { JIRA_CREDENTIAL_FIELDS } from './jira/credential-fields.js';
import type { CredentialField } from './kit/credentials.js';
import { PAGERDUTY_CREDENTIAL_FIELDS } from './pagerduty/credential-fields.js';
import { QUALYS_CREDENTIAL_FIELDS } from './qualys/credential-fields.js';
import { SERVICENOW_CREDENTIAL_FIELDS } from './servicenow/credential-fields.js';
import { SLACK_CREDENTIAL_FIELDS } from './slack/credential-fields.js';
import { WIZ_CREDENTIAL_FIELDS } from './wiz/credential-fields.js';

/**
 * Every connector's credential fields, keyed by connector name: the one place their arx.yaml keys and
 * environment variables are declared. Data only (no client is loaded), so the gate's credential broker and
 * `arx run`'s sandbox check read it without naming a tool. A connector adds one line here.
 */
export const CREDENTIAL_FIELDS: Readonly<Record<string, readonly CredentialField[]>> = {
  wiz: WIZ_CREDENTIAL_FIELDS,
  qualys: QUALYS_CREDENTIAL_FIELDS,
  jira: JIRA_CREDENTIAL_FIELDS,
  slack: SLACK_CREDENTIAL_FIELDS,
  pagerduty: PAGERDUTY_CREDENTIAL_FIELDS,
  servicenow: SERVICENOW_CREDENTIAL_FIELDS,
  aws: AWS_CREDENTIAL_FIELDS,
};
