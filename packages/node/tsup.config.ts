import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.library';

// event-processor and odp are bundled into this entry's JavaScript (their types still come from
// their packages). Each bare import Node resolves costs a fresh process about half a
// millisecond, and the four those packages brought were a sixth of the cold-import budget.
// Core stays external: one core per process, the package whose module state and brands the
// others share. odp's lazily imported lru-cache stays external too, so it is a dependency here.
export default defineConfig({
  ...libraryConfig(),
  noExternal: ['@flagkit/event-processor', '@flagkit/odp'],
  external: ['lru-cache'],
});
