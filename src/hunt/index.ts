export { parseHunt, emptyHunt, UNTITLED_HUNT } from './parseHunt';
export type { AttackRow, Hunt, HuntQueryBlock } from './types';
