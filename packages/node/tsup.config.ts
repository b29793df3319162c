import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.library';

export default defineConfig(libraryConfig());
