// Every scenario of `npm run bench`, in the order a full run takes them.
import type { Scenario } from '../scenario.js';
import { coldPage } from './cold-page.js';
import { erpOutage } from './erp-outage.js';
import { erpShield } from './erp-shield.js';
import { odata } from './odata.js';
import { plannerBombs } from './planner-bombs.js';
import { spike } from './spike.js';
import { submitQuote } from './submit-quote.js';

export const SCENARIOS: readonly Scenario[] = [erpShield, coldPage, spike, erpOutage, submitQuote, odata, plannerBombs];
