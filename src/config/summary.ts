/** A short account of a configuration, for `arx validate`: what is connected, governed and scheduled. */
import { type ArxConfig, arxConfigSchema, VERDICTS } from './schema.js';
import { secretValues } from './walk.js';

export interface ConfigSummary {
  /** `credentials: false` means the connector runs against its sandbox emulator. */
  connectors: Array<{ name: string; enabled: boolean; credentials: boolean }>;
  rules: { total: number; byVerdict: Partial<Record<(typeof VERDICTS)[number], number>> };
  thresholds: { escalate: number; deny: number };
  schedules: Array<{ workflow: string; cron: string; timezone: string; enabled: boolean }>;
  workflows: string[];
}

export function summarise(config: ArxConfig): ConfigSummary {
  const connectors = Object.entries(config.connectors)
    .filter(([, settings]) => settings !== undefined)
    .map(([name, settings]) => ({
      name,
      enabled: settings?.enabled ?? false,
      credentials: secretValues(arxConfigSchema, { connectors: { [name]: settings } }).length > 0,
    }));
  const byVerdict: ConfigSummary['rules']['byVerdict'] = {};
  for (const verdict of VERDICTS) {
    const count = config.governance.rules.filter((rule) => rule.verdict === verdict).length;
    if (count > 0) byVerdict[verdict] = count;
  }
  return {
    connectors,
    rules: { total: config.governance.rules.length, byVerdict },
    thresholds: { escalate: config.governance.risk_threshold, deny: config.governance.deny_threshold },
    schedules: config.schedule.map(({ workflow, cron, timezone, enabled }) => ({
      workflow,
      cron,
      timezone,
      enabled,
    })),
    workflows: Object.keys(config.workflows),
  };
}
