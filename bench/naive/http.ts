/**
 * The one courtesy the naive baseline extends to the tools: on 429 it waits as long as Retry-After says
 * (1 s when absent) and tries again. Without it, a rate-limited naive run would lose tickets rather than
 * take longer, and there would be nothing to compare.
 */
export async function send(url: string, init: RequestInit): Promise<Response> {
  for (;;) {
    const response = await fetchOnce(url, init);
    if (response.status !== 429) return response;
    await response.body?.cancel();
    const wait = Number(response.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(wait) ? wait : 1) * 1000));
  }
}

export async function sendJson<T>(url: string, init: RequestInit): Promise<T> {
  const response = await send(url, init);
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * fetch, tried once more when the connection fails before any answer: a keep-alive socket the server
 * closed while idle (ECONNRESET) is an artefact of the client's pool, not an answer from the tool.
 */
export async function fetchOnce(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return fetch(url, init);
  }
}
