import type { GovernanceAccess } from '../../governance/access.js';
import { out } from '../output.js';
import { withGovernance } from './governance-session.js';

/**
 * Approvals, the kill switch and connector checks for a command: through the gate on the store the
 * environment names (with every built-in connector registered when `connectors` is set), or,
 * when `arx serve` holds the embedded store, through that server's API (its URL from the lock file, its
 * token from `<ARX_HOME>/serve.token`), said once on stderr. When serve does not answer, or left no URL or
 * token, the store's own `store_locked` error stands: it names the holder and the fix.
 *
 * @example
 * const list = await withGovernanceAccess({ owner: 'arx approvals list' }, ({ approvals }) => approvals.list());
 */
export async function withGovernanceAccess<T>(
  options: { config?: string | undefined; owner: string; connectors?: boolean },
  work: (access: GovernanceAccess) => Promise<T>,
): Promise<T> {
  const { gateAccess } = await import('../../governance/access.js');
  let remote: GovernanceAccess | undefined;
  try {
    return await withGovernance(options, async ({ gate, store }) => {
      if (options.connectors) {
        const [{ createConnectorRuntime }, { registerBuiltinConnectors }] = await Promise.all([
          import('../../connectors/kit/runtime.js'),
          import('../../connectors/registry.js'),
        ]);
        await registerBuiltinConnectors(gate, createConnectorRuntime({ clock: store.clock }));
      }
      return work(gateAccess(gate));
    });
  } catch (err) {
    remote = await throughServe(err);
    if (!remote) throw err;
  }
  return work(remote);
}

async function throughServe(err: unknown): Promise<GovernanceAccess | undefined> {
  const { isArxError } = await import('../../core/errors.js');
  if (!isArxError(err) || err.code !== 'store_locked') return undefined;
  const url = (err.details?.holder as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string' || !url) return undefined;
  const [{ readServeToken }, { governanceOverHttp, serveAnswers }, { storeOptionsFromEnv }] =
    await Promise.all([
      import('../../server/serve-token.js'),
      import('../../server/governance-client.js'),
      import('../../store/options.js'),
    ]);
  const token = readServeToken(storeOptionsFromEnv().home!);
  if (!token || !(await serveAnswers(url))) return undefined;
  out.err(`→ through arx serve at ${url} (it holds the store)`);
  return governanceOverHttp(url, token);
}
