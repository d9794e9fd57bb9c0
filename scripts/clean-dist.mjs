// Each build starts from an empty dist/: a module whose source was moved or deleted must not linger and ship.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
