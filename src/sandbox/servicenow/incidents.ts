import type { Clock } from '../../core/clock.js';

/**
 * The `incident` table of an emulated ServiceNow instance: its fields as data (choices, references, which are
 * writable) and the records, every value a string as the Table API returns them.
 */

export type IncidentRecord = Record<string, string>;

/** Choice fields: stored value -> display value. */
export const CHOICES: Record<string, Record<string, string>> = {
  state: { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' },
  impact: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
  urgency: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
  priority: {
    '1': '1 - Critical',
    '2': '2 - High',
    '3': '3 - Moderate',
    '4': '4 - Low',
    '5': '5 - Planning',
  },
};

/** Reference fields -> the table they point at. */
export const REFERENCES: Record<string, string> = {
  assignment_group: 'sys_user_group',
  assigned_to: 'sys_user',
  caller_id: 'sys_user',
  opened_by: 'sys_user',
  resolved_by: 'sys_user',
  closed_by: 'sys_user',
  cmdb_ci: 'cmdb_ci',
};

/** Fields a caller may set; anything else in a request body is silently ignored, as ServiceNow does. */
const WRITABLE = [
  'short_description',
  'description',
  'category',
  'subcategory',
  'impact',
  'urgency',
  'state',
  'correlation_id',
  'correlation_display',
  'assignment_group',
  'assigned_to',
  'caller_id',
  'cmdb_ci',
  'contact_type',
  'close_code',
  'close_notes',
  'work_notes',
  'comments',
] as const;
const WRITABLE_SET: ReadonlySet<string> = new Set(WRITABLE);
/** Journal fields are write-only through the Table API: reads return an empty string. */
const JOURNAL = new Set(['work_notes', 'comments']);

const SYSTEM = [
  'sys_id',
  'number',
  'active',
  'priority',
  'opened_at',
  'opened_by',
  'resolved_at',
  'resolved_by',
  'closed_at',
  'closed_by',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
  'sys_class_name',
] as const;

export const INCIDENT_FIELDS: ReadonlySet<string> = new Set([...SYSTEM, ...WRITABLE]);

/** The out-of-box priority lookup: impact x urgency. */
const PRIORITY: Record<string, string> = {
  '1:1': '1',
  '1:2': '2',
  '2:1': '2',
  '1:3': '3',
  '2:2': '3',
  '3:1': '3',
  '2:3': '4',
  '3:2': '4',
  '3:3': '5',
};

const RESOLVED = '6';
const CLOSED_STATES = new Set(['7', '8']);

export interface Journal {
  field: 'work_notes' | 'comments';
  value: string;
  at: string;
  by: string;
}

export class IncidentTable {
  readonly records: IncidentRecord[] = [];
  readonly journal = new Map<string, Journal[]>();
  private nextNumber = 10001;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly user: { sysId: string; name: string },
  ) {}

  now(): Date {
    return this.clock.now();
  }

  find(sysId: string): IncidentRecord | undefined {
    return this.records.find((r) => r.sys_id === sysId);
  }

  /**
   * Creates a record from the writable fields of `input`. Returns the fields the out-of-box data policy
   * requires but are missing (resolving without close code and notes), or the record.
   */
  create(input: Record<string, unknown>, options: PolicyOptions): IncidentRecord | { mandatory: string[] } {
    const now = this.timestamp();
    const record: IncidentRecord = Object.fromEntries([...INCIDENT_FIELDS].map((f) => [f, '']));
    Object.assign(record, {
      sys_id: this.hex(32),
      number: `INC${String(this.nextNumber).padStart(7, '0')}`,
      state: '1',
      impact: '3',
      urgency: '3',
      opened_at: now,
      opened_by: this.user.sysId,
      sys_created_on: now,
      sys_created_by: this.user.name,
      sys_updated_on: now,
      sys_updated_by: this.user.name,
      sys_mod_count: '0',
      sys_class_name: 'incident',
    });
    const outcome = this.apply(record, input, options);
    if ('mandatory' in outcome) return outcome;
    this.nextNumber++;
    this.records.push(record);
    return record;
  }

  update(
    record: IncidentRecord,
    input: Record<string, unknown>,
    options: PolicyOptions,
  ): IncidentRecord | { mandatory: string[] } {
    const draft = { ...record };
    const outcome = this.apply(draft, input, options);
    if ('mandatory' in outcome) return outcome;
    draft.sys_updated_on = this.timestamp();
    draft.sys_updated_by = this.user.name;
    draft.sys_mod_count = String(Number(record.sys_mod_count) + 1);
    Object.assign(record, draft);
    return record;
  }

  delete(record: IncidentRecord): void {
    this.records.splice(this.records.indexOf(record), 1);
  }

  private apply(
    record: IncidentRecord,
    input: Record<string, unknown>,
    options: PolicyOptions,
  ): IncidentRecord | { mandatory: string[] } {
    const notes: Journal[] = [];
    for (const [field, raw] of Object.entries(input)) {
      if (!WRITABLE_SET.has(field) || raw === undefined || raw === null) continue;
      const value = typeof raw === 'object' ? String((raw as { value?: unknown }).value ?? '') : String(raw);
      if (JOURNAL.has(field)) {
        if (value)
          notes.push({ field: field as Journal['field'], value, at: this.timestamp(), by: this.user.name });
      } else record[field] = value;
    }
    const resolving = record.state === RESOLVED || CLOSED_STATES.has(record.state!);
    if (resolving && options.resolveNeedsCloseFields) {
      const missing = [
        ...(record.close_code ? [] : ['Resolution code']),
        ...(record.close_notes ? [] : ['Resolution notes']),
      ];
      if (missing.length > 0) return { mandatory: missing };
    }
    record.priority = PRIORITY[`${record.impact}:${record.urgency}`] ?? '5';
    record.active = String(
      !CLOSED_STATES.has(record.state!) && !(record.state === RESOLVED && !options.resolvedIsActive),
    );
    if (resolving && !record.resolved_at) {
      record.resolved_at = this.timestamp();
      record.resolved_by = this.user.sysId;
    }
    if (!resolving) {
      record.resolved_at = '';
      record.resolved_by = '';
    }
    if (CLOSED_STATES.has(record.state!) && !record.closed_at) {
      record.closed_at = this.timestamp();
      record.closed_by = this.user.sysId;
    }
    if (notes.length > 0)
      this.journal.set(record.sys_id!, [...(this.journal.get(record.sys_id!) ?? []), ...notes]);
    return record;
  }

  /** ServiceNow's `YYYY-MM-DD HH:mm:ss` (UTC here). */
  timestamp(): string {
    return this.clock.now().toISOString().slice(0, 19).replace('T', ' ');
  }

  private hex(length: number): string {
    return Array.from({ length }, () => Math.floor(this.random() * 16).toString(16)).join('');
  }
}

export interface PolicyOptions {
  /** The out-of-box data policy: resolving or closing needs `close_code` and `close_notes`. */
  resolveNeedsCloseFields: boolean;
  /** Whether a Resolved incident still counts as `active=true` (it does until it is closed). */
  resolvedIsActive: boolean;
}
