import type { Volume as V130Volume } from 'kubernetes-types/core/v1.d.ts';
import { canonicalQuantity, parseQuantity } from './quantity.ts';
import type { PrefixWriter } from './writer.ts';

// The image volume source (1.31) is newer than kubernetes-types 1.30.
type Volume = V130Volume & { image?: { reference?: string; pullPolicy?: string } };

const opt = (v: unknown) => (v === undefined || v === null ? '<nil>' : String(v));

export function describeVolumes(volumes: Volume[] | undefined, w: PrefixWriter, space: string): void {
  if (!volumes?.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    describeSource(v, w);
  }
}

// Each source prints `Type:` at level 2 and its fields four spaces in, as kubectl does.
function describeSource(v: Volume, w: PrefixWriter): void {
  const fields = (type: string, rows: Array<[string, unknown]>) =>
    w.write(2, `Type:\t${type}\n` + rows.map(([k, val]) => `    ${k}:\t${val ?? ''}\n`).join(''));
  if (v.hostPath) {
    fields('HostPath (bare host directory volume)', [
      ['Path', v.hostPath.path],
      ['HostPathType', v.hostPath.type ?? '<none>'],
    ]);
  } else if (v.emptyDir) {
    const limit =
      parseQuantity(v.emptyDir.sizeLimit).mantissa > 0n ? canonicalQuantity(v.emptyDir.sizeLimit) : '<unset>';
    fields("EmptyDir (a temporary directory that shares a pod's lifetime)", [
      ['Medium', v.emptyDir.medium ?? ''],
      ['SizeLimit', limit],
    ]);
  } else if (v.gitRepo) {
    fields('GitRepo (a volume that is pulled from git when the pod is created)', [
      ['Repository', v.gitRepo.repository],
      ['Revision', v.gitRepo.revision],
    ]);
  } else if (v.secret) {
    fields('Secret (a volume populated by a Secret)', [
      ['SecretName', v.secret.secretName],
      ['Optional', v.secret.optional === true],
    ]);
  } else if (v.configMap) {
    fields('ConfigMap (a volume populated by a ConfigMap)', [
      ['Name', v.configMap.name],
      ['Optional', v.configMap.optional === true],
    ]);
  } else if (v.nfs) {
    fields('NFS (an NFS mount that lasts the lifetime of a pod)', [
      ['Server', v.nfs.server],
      ['Path', v.nfs.path],
      ['ReadOnly', v.nfs.readOnly === true],
    ]);
  } else if (v.persistentVolumeClaim) {
    fields('PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', [
      ['ClaimName', v.persistentVolumeClaim.claimName],
      ['ReadOnly', v.persistentVolumeClaim.readOnly === true],
    ]);
  } else if (v.ephemeral) {
    fields('EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)', []);
  } else if (v.downwardAPI) {
    w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const item of v.downwardAPI.items ?? []) {
      if (item.fieldRef) w.write(3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
      if (item.resourceFieldRef) w.write(3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
    }
  } else if (v.projected) {
    w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const s of v.projected.sources ?? []) {
      if (s.secret)
        w.write(2, `SecretName:\t${s.secret.name ?? ''}\n    SecretOptionalName:\t${opt(s.secret.optional)}\n`);
      else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
      else if (s.configMap)
        w.write(2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    ConfigMapOptional:\t${opt(s.configMap.optional)}\n`);
      else if (s.serviceAccountToken)
        w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 0}\n`);
    }
  } else if (v.csi) {
    fields('CSI (a Container Storage Interface (CSI) volume source)', [
      ['Driver', v.csi.driver],
      ['FSType', v.csi.fsType ?? ''],
      ['ReadOnly', v.csi.readOnly === true],
    ]);
    const attrs: Record<string, string> = v.csi.volumeAttributes ?? {};
    const keys = Object.keys(attrs).sort();
    w.write(2, 'VolumeAttributes:\t');
    if (keys.length === 0) w.writeLine('<none>');
    keys.forEach((k, i) => {
      if (i !== 0) {
        w.write(2, '');
        w.write(2, '\t');
      }
      const line = `${k}=${attrs[k]}`;
      w.write(2, `${line.length > 140 ? line.slice(0, 140) + '...' : line}\n`);
    });
  } else if (v.image) {
    fields('Image (a container image or OCI artifact)', [
      ['Reference', v.image.reference],
      ['PullPolicy', v.image.pullPolicy],
    ]);
  } else {
    w.write(1, '<unknown>\n');
  }
}
