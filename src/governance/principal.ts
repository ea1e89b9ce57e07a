/** Who acts through the gate: a workflow run, an AI agent, or a person (API, console, CLI). */
export const PRINCIPAL_KINDS = ['workflow', 'agent', 'user'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export interface Principal {
  id: string;
  kind: PrincipalKind;
}

/** `kind:id`, the form principals take in audit records and in policy globs such as `agent:*`. */
export function principalRef(principal: Principal): string {
  return `${principal.kind}:${principal.id}`;
}

/**
 * Reads `workflow:wiz-distribution`, `agent:triage` or a bare id (a workflow, the common case).
 * @example parsePrincipal('agent:triage') // { kind: 'agent', id: 'triage' }
 */
export function parsePrincipal(text: string): Principal {
  const at = text.indexOf(':');
  const kind = at > 0 ? text.slice(0, at) : '';
  if ((PRINCIPAL_KINDS as readonly string[]).includes(kind)) {
    return { kind: kind as PrincipalKind, id: text.slice(at + 1) };
  }
  return { kind: 'workflow', id: text };
}
