import { ConfigError } from '@aiaa/core';
import type { AppConfig } from './app-config';

/**
 * Checks the `--dicomweb*` settings together: an http(s) URL without credentials in it (Node's fetch refuses those,
 * and a URL is logged and named in errors), basic auth as a user and password pair, or a bearer token, never both,
 * and no credentials without a URL. Messages name the flags, never a secret's value.
 *
 * @throws ConfigError naming the flag at fault.
 */
export function checkDicomwebSettings(config: AppConfig): void {
  const { dicomweb, dicomwebUser, dicomwebPassword, dicomwebToken } = config;
  if (dicomweb === undefined) {
    const given = (
      [
        ['--dicomweb_user', dicomwebUser],
        ['--dicomweb_password', dicomwebPassword],
        ['--dicomweb_token', dicomwebToken],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (given) {
      throw new ConfigError(given[0], 'credentials for a DICOMweb server need its URL: --dicomweb URL');
    }
    return;
  }
  let url: URL;
  try {
    url = new URL(dicomweb);
  } catch {
    throw new ConfigError(
      '--dicomweb',
      `expected an http(s) URL such as http://pacs:8042/dicom-web, got '${dicomweb}'`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('--dicomweb', `expected an http or https URL, got the scheme '${url.protocol}'`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(
      '--dicomweb',
      'the URL carries credentials; give them as --dicomweb_user and AIAA_DICOMWEB_PASSWORD (or AIAA_DICOMWEB_TOKEN)',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError('--dicomweb', `expected the service root without a query or fragment, got '${dicomweb}'`);
  }
  if (dicomwebToken !== undefined && (dicomwebUser !== undefined || dicomwebPassword !== undefined)) {
    throw new ConfigError('--dicomweb_token', 'give either a bearer token or a user and password, not both');
  }
  if (dicomwebUser !== undefined && dicomwebPassword === undefined) {
    throw new ConfigError('--dicomweb_user', 'needs a password: AIAA_DICOMWEB_PASSWORD (or --dicomweb_password)');
  }
  if (dicomwebPassword !== undefined && dicomwebUser === undefined) {
    throw new ConfigError('--dicomweb_password', 'needs a user: --dicomweb_user');
  }
}
