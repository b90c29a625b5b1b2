import { packageInfo } from './package-info.js';

export function chirpVersion(): string {
  return packageInfo().version;
}
