// The org's users: the integration user the OAuth flows log in as (always first), the sales reps who
// own accounts, and a sales manager.

import type { GenerationContext } from './context.js';
import { recordStamps } from './record-stamps.js';
import type { SfUser } from './types.js';

const SALES_REP_COUNT = 8;
/** The org's username domain (RFC 2606 reserved, so no mail can leave the demo). */
export const ORG_DOMAIN = 'customer360-demo.example.com';

function user(ctx: GenerationContext, firstName: string, lastName: string, username: string, title: string): SfUser {
  const stamps = recordStamps(ctx.rng, ctx.calendar, -ctx.rng.int(900, 1500));
  return {
    Id: ctx.ids.User.next(),
    CreatedDate: stamps.CreatedDate,
    LastModifiedDate: stamps.LastModifiedDate,
    Name: `${firstName} ${lastName}`,
    FirstName: firstName,
    LastName: lastName,
    Username: username,
    Email: username,
    Title: title,
    IsActive: true,
  };
}

/** Usernames are unique across Salesforce, so a repeated name gets a number. */
function personUser(ctx: GenerationContext, title: string, taken: Set<string>): SfUser {
  const firstName = ctx.rng.faker.person.firstName();
  const lastName = ctx.rng.faker.person.lastName();
  const login = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
  let username = `${login}@${ORG_DOMAIN}`;
  for (let n = 2; taken.has(username); n++) username = `${login}${n}@${ORG_DOMAIN}`;
  taken.add(username);
  return user(ctx, firstName, lastName, username, title);
}

/** Adds the users to ctx.sf.User and sets ctx.reps. */
export function generateUsers(ctx: GenerationContext): void {
  const integration = user(ctx, 'Integration', 'User', `integration@${ORG_DOMAIN}`, 'Integration');
  const taken = new Set([integration.Username]);
  const reps = Array.from({ length: SALES_REP_COUNT }, () => personUser(ctx, 'Account Executive', taken));
  const manager = personUser(ctx, 'Sales Manager', taken);
  ctx.sf.User.push(integration, ...reps, manager);
  ctx.sf.integrationUserId = integration.Id;
  ctx.reps = reps;
}
