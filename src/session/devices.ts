/**
 * The person's cameras, microphones and speakers, for pickers. Labels are empty until the page has been granted
 * media access once (a browser privacy rule), so each list falls back to numbered names the view can translate.
 */
export type DeviceKind = 'camera' | 'microphone' | 'speaker';

export interface DeviceOption {
  id: string;
  /** The browser's label; '' before permission is granted. */
  label: string;
}

export type DeviceLists = Record<DeviceKind, DeviceOption[]>;

const KINDS: Record<MediaDeviceKind, DeviceKind> = {
  videoinput: 'camera',
  audioinput: 'microphone',
  audiooutput: 'speaker',
};

export async function listDevices(devices: MediaDevices | undefined): Promise<DeviceLists> {
  const lists: DeviceLists = { camera: [], microphone: [], speaker: [] };
  const all = (await devices?.enumerateDevices?.().catch(() => [])) ?? [];
  for (const device of all) {
    const kind = KINDS[device.kind];
    // Chrome lists a "default" and a "communications" alias of real devices: the aliases add nothing to a picker.
    if (!kind || device.deviceId === 'communications' || lists[kind].some((known) => known.id === device.deviceId))
      continue;
    lists[kind].push({ id: device.deviceId, label: device.label });
  }
  return lists;
}

/** The id of the device a live track captures from (for showing the current choice in a picker). */
export function trackDeviceId(track: MediaStreamTrack | undefined): string {
  return track?.getSettings().deviceId ?? '';
}
