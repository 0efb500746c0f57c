export { parseCommand, parseDrillPayload, usage } from './grammar.js';
