/**
 * Makes a response body invalid for its content type while keeping status and headers: the body is cut
 * roughly in half (a JSON object loses its closing braces, an XML document its closing tags). An empty or
 * tiny body becomes a lone opening token so it still fails to parse.
 */
export async function malformResponse(response: Response): Promise<Response> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const cut = text.length > 8 ? text.slice(0, Math.floor(text.length / 2)) : type.includes('xml') ? '<' : '{';
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(cut, { status: response.status, statusText: response.statusText, headers });
}
