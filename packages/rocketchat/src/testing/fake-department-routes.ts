// Departments and availability: `livechat/department` (app/livechat/server/api/v1/department.ts,
// paged by `count`/`offset`) and the widget's `livechat/config` (api/v1/config.ts: `online` is
// whether an agent of the department takes chats now).
import { requireUser, success, throwInvalidParams } from './fake-answers.js';
import { apiPrefix, type FakeRocketChatContext, type FakeRocketChatRoute } from './fake-context.js';
import { departmentView } from './fake-views.js';

/** `count` and `offset` as `getPaginationItems` reads them (default count 50, offset 0). */
function pagination(query: Record<string, string>) {
  const count = query.count === undefined ? 50 : Number(query.count);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  if (!Number.isInteger(count) || count < 0) throwInvalidParams('/count must be a non-negative integer');
  if (!Number.isInteger(offset) || offset < 0) throwInvalidParams('/offset must be a non-negative integer');
  return { count, offset };
}

/** `Livechat.online(department)`: an agent of the department (of any, without one) is available. */
export function departmentOnline(context: FakeRocketChatContext, departmentId: string | undefined): boolean {
  const { state } = context;
  const agents = state.users.filter((user) => user.roles.includes('livechat-agent') && user.available);
  if (departmentId === undefined) return agents.length > 0;
  const department = state.departments.find((candidate) => candidate._id === departmentId);
  if (department === undefined || !department.enabled) return false;
  return agents.some((agent) => department.agentIds.includes(agent._id));
}

export const departmentRoutes: FakeRocketChatRoute[] = [
  {
    method: 'GET',
    pattern: `${apiPrefix}/livechat/department`,
    handle(request) {
      requireUser(request, { any: ['view-livechat-departments', 'view-l-room'] });
      const { count, offset } = pagination(request.query);
      const { departments } = request.context.state;
      const enabledOnly = request.query.enabled === 'true';
      const matching = departments.filter((department) => !enabledOnly || department.enabled);
      const page = matching.slice(offset, count === 0 ? undefined : offset + count);
      return success({
        departments: page.map(departmentView),
        count: page.length,
        offset,
        total: matching.length,
      });
    },
  },
  {
    method: 'GET',
    pattern: `${apiPrefix}/livechat/config`,
    handle({ context, query }) {
      if (!context.state.settings.Livechat_enabled) return success({ config: { enabled: false } });
      return success({
        config: {
          enabled: true,
          settings: { registrationForm: true, allowSwitchingDepartments: true, fileUpload: true },
          theme: { title: 'Rocket.Chat', color: '#C1272D' },
          messages: {},
          survey: {},
          triggers: [],
          departments: context.state.departments
            .filter((department) => department.enabled && department.showOnRegistration)
            .map((department) => ({ _id: department._id, name: department.name })),
          resources: { sound: [] },
          online: departmentOnline(context, query.department),
        },
      });
    },
  },
];
