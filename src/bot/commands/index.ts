export { parseActionPayload, parseCommand, parseDrillPayload, usage } from './grammar.js';
