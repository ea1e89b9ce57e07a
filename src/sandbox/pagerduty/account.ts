import type { Clock } from '../../core/clock.js';

/**
 * One emulated PagerDuty account: services (each with an Events API v2 integration key), people, and the
 * incidents both APIs share. An event-created incident is an ordinary incident whose `incident_key` is the
 * event's `dedup_key`, so REST sees it and a REST create with that key is a duplicate.
 */

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export type Urgency = 'high' | 'low';

export interface PdUser {
  id: string;
  name: string;
  email: string;
}

export interface PdService {
  id: string;
  name: string;
  /** The Events API v2 integration key (routing key): 32 hex characters. */
  routingKey: string;
  escalationPolicyId: string;
  onCall: PdUser;
}

export interface PdNote {
  id: string;
  user: PdUser;
  content: string;
  created_at: string;
}

export interface PdIncident {
  id: string;
  number: number;
  title: string;
  status: IncidentStatus;
  urgency: Urgency;
  incidentKey: string;
  service: PdService;
  priorityId?: string;
  details?: string;
  createdAt: Date;
  updatedAt: Date;
  lastStatusChangeAt: Date;
  resolvedAt: Date | null;
  acknowledgedBy: PdUser | null;
  createdVia: 'events_api_v2' | 'rest_api';
  /** Events folded into this incident (the trigger and any duplicates). */
  alertCount: number;
  /** The event payload of the first trigger, as PagerDuty keeps it on the alert. */
  eventPayload?: Record<string, unknown>;
  notes: PdNote[];
}

export interface ServiceSpec {
  id?: string;
  name: string;
  routingKey?: string;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export class PagerDutyAccount {
  readonly services: PdService[];
  readonly users: PdUser[];
  readonly incidents: PdIncident[] = [];
  private nextNumber = 1;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    services: ServiceSpec[],
    users: Array<{ name: string; email: string }>,
  ) {
    this.users = users.map((u) => ({ id: this.id(), ...u }));
    const onCall = this.users[1] ?? this.users[0]!;
    this.services = services.map((s) => ({
      id: s.id ?? this.id(),
      name: s.name,
      routingKey: s.routingKey ?? this.hex(32),
      escalationPolicyId: this.id(),
      onCall,
    }));
  }

  now(): Date {
    return this.clock.now();
  }

  serviceByRoutingKey(key: string): PdService | undefined {
    return this.services.find((s) => s.routingKey === key);
  }

  userByEmail(email: string | undefined): PdUser | undefined {
    return email ? this.users.find((u) => u.email.toLowerCase() === email.toLowerCase()) : undefined;
  }

  /** The open (not resolved) incident with this key on this service, if any. */
  openIncident(service: PdService, incidentKey: string): PdIncident | undefined {
    return this.incidents.find(
      (i) => i.service.id === service.id && i.incidentKey === incidentKey && i.status !== 'resolved',
    );
  }

  open(input: {
    service: PdService;
    title: string;
    urgency: Urgency;
    incidentKey: string;
    createdVia: PdIncident['createdVia'];
    details?: string;
    priorityId?: string;
    eventPayload?: Record<string, unknown>;
  }): PdIncident {
    const now = this.now();
    const incident: PdIncident = {
      id: this.id(),
      number: this.nextNumber++,
      title: input.title,
      status: 'triggered',
      urgency: input.urgency,
      incidentKey: input.incidentKey,
      service: input.service,
      createdAt: now,
      updatedAt: now,
      lastStatusChangeAt: now,
      resolvedAt: null,
      acknowledgedBy: null,
      createdVia: input.createdVia,
      alertCount: 1,
      notes: [],
      ...(input.details === undefined ? {} : { details: input.details }),
      ...(input.priorityId === undefined ? {} : { priorityId: input.priorityId }),
      ...(input.eventPayload === undefined ? {} : { eventPayload: input.eventPayload }),
    };
    this.incidents.push(incident);
    return incident;
  }

  setStatus(incident: PdIncident, status: 'acknowledged' | 'resolved', by: PdUser | null): void {
    const now = this.now();
    incident.status = status;
    incident.updatedAt = now;
    incident.lastStatusChangeAt = now;
    if (status === 'acknowledged') incident.acknowledgedBy = by;
    if (status === 'resolved') incident.resolvedAt = now;
  }

  addNote(incident: PdIncident, user: PdUser, content: string): PdNote {
    const note = {
      id: this.id(),
      user,
      content,
      created_at: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    };
    incident.notes.push(note);
    incident.updatedAt = this.now();
    return note;
  }

  /** PagerDuty object ids: `P` plus six characters (`PT4KHLK`). */
  id(): string {
    return `P${Array.from({ length: 6 }, () => ID_ALPHABET[Math.floor(this.random() * 36)]).join('')}`;
  }

  hex(length: number): string {
    return Array.from({ length }, () => Math.floor(this.random() * 16).toString(16)).join('');
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }
}
