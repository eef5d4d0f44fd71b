import { adminKeyId } from '#registrar/security/keyid.ts';
import { readSecuritySettings } from '#registrar/security/security-settings.ts';
import { withBackend } from './backend.ts';
import type { CommandContext, CommandGroup } from './command.ts';

/** What `operator credential` prints. */
export interface OperatorCredentialView {
  /** The admin originator to send as `X-M2M-Origin`. */
  readonly originator: string;
  /** `adm:<M2M_ADMIN_KEY_VERSION>`. */
  readonly keyid: string;
  /** The operator credential, base64url: secret. */
  readonly key: string;
}

async function credential(context: CommandContext): Promise<undefined> {
  const settings = context.settings();
  const { adminKeyVersion } = readSecuritySettings(context.env);
  const key = await withBackend(context, (backend) =>
    backend.security().derivation.operatorCredential(adminKeyVersion),
  );
  const shown: OperatorCredentialView = {
    originator: settings.adminOriginator,
    keyid: adminKeyId(adminKeyVersion),
    key: Buffer.from(key).toString('base64url'),
  };
  context.print(shown, (view) =>
    [
      `originator: ${view.originator}`,
      `keyid:      ${view.keyid}`,
      `credential (base64url, secret): ${view.key}`,
    ].join('\n'),
  );
  return undefined;
}

/** `m2m-registrar operator ...`: the operator's own signed-mode credential. */
export const operatorGroup: CommandGroup = {
  name: 'operator',
  summary: "the operator's credential for signed requests",
  commands: [
    {
      name: 'credential',
      summary: 'derives and prints the operator credential (keyid adm:N)',
      details:
        'Sign requests with it and send the admin originator ' +
        '(M2M_ADMIN_ORIGINATOR) as X-M2M-Origin. Re-key every operator ' +
        'credential at once by raising M2M_ADMIN_KEY_VERSION.',
      run: credential,
    },
  ],
};
