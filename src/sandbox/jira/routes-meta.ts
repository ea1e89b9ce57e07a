import type { Context } from 'hono';
import type { EmulatorRoute } from '../kit/route-table.js';
import { ISSUE_TYPES } from './catalog.js';
import { jiraError, siteUrl } from './http.js';
import type { Project } from './model.js';
import { issueTypeJson, priorityJson, projectJson, userJson } from './render.js';
import type { JiraRouteEnv } from './routes-env.js';

/** Site metadata a connector reads to test credentials and map values: who am I, priorities, projects. */

const API = '/rest/api/3';

export function metaRoutes({ site }: JiraRouteEnv): EmulatorRoute[] {
  const paged = <T>(c: Context, items: T[]) => {
    const startAt = Math.max(0, Number(c.req.query('startAt') ?? 0) || 0);
    const maxResults = Math.max(1, Math.min(100, Number(c.req.query('maxResults') ?? 50) || 50));
    const values = items.slice(startAt, startAt + maxResults);
    return {
      startAt,
      maxResults,
      total: items.length,
      isLast: startAt + values.length >= items.length,
      values,
    };
  };
  const projectDetail = (base: string, project: Project) => ({
    ...projectJson(base, project),
    lead: userJson(base, project.lead),
    components: project.components.map((c) => ({ self: `${base}${API}/component/${c.id}`, ...c })),
    issueTypes: ISSUE_TYPES.map((t) => issueTypeJson(base, t)),
  });

  return [
    {
      op: 'myself',
      method: 'GET',
      path: `${API}/myself`,
      handle: (c) =>
        c.json({ ...userJson(siteUrl(c), site.me), locale: 'en_US', groups: { size: 2, items: [] } }),
    },
    {
      op: 'serverInfo',
      method: 'GET',
      path: `${API}/serverInfo`,
      handle: (c) =>
        c.json({
          baseUrl: siteUrl(c),
          displayUrl: siteUrl(c),
          version: '1001.0.0-SNAPSHOT',
          versionNumbers: [1001, 0, 0],
          deploymentType: 'Cloud',
          buildNumber: 100276,
          serverTime: site.now().toISOString().replace('Z', '+0000'),
          serverTitle: 'Jira (Arx sandbox)',
        }),
    },
    {
      op: 'priority.list',
      method: 'GET',
      path: `${API}/priority`,
      handle: (c) => c.json(site.priorities.map((p) => priorityJson(siteUrl(c), p))),
    },
    {
      op: 'priority.search',
      method: 'GET',
      path: `${API}/priority/search`,
      handle: (c) =>
        c.json(
          paged(
            c,
            site.priorities.map((p) => priorityJson(siteUrl(c), p)),
          ),
        ),
    },
    {
      op: 'issuetype.list',
      method: 'GET',
      path: `${API}/issuetype`,
      handle: (c) => c.json(ISSUE_TYPES.map((t) => issueTypeJson(siteUrl(c), t))),
    },
    {
      op: 'project.list',
      method: 'GET',
      path: `${API}/project`,
      handle: (c) => c.json(site.projects.map((p) => projectJson(siteUrl(c), p))),
    },
    {
      op: 'project.search',
      method: 'GET',
      path: `${API}/project/search`,
      handle: (c) =>
        c.json(
          paged(
            c,
            site.projects.map((p) => projectJson(siteUrl(c), p)),
          ),
        ),
    },
    {
      op: 'project.get',
      method: 'GET',
      path: `${API}/project/:projectIdOrKey`,
      handle(c) {
        const project = site.findProject(c.req.param('projectIdOrKey'));
        if (!project) {
          return jiraError(c, 404, [
            `No project could be found with key '${c.req.param('projectIdOrKey')}'.`,
          ]);
        }
        return c.json(projectDetail(siteUrl(c), project));
      },
    },
  ];
}
