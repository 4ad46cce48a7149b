// Builds two (or more) real <p2p-call> elements in the page for a test, and cleans them up afterwards.
import { fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/p2p-call.js';
import type { P2PCall, SignalingAdapter } from '../../src/index.js';
import { STALL_TIMEOUT_MS } from '../../src/session/link-supervisor.js';
import { uniqueRoom, waitForState } from './call-helpers.js';
import { smallCamera } from './session-pair.js';

/** ws://127.0.0.1:PORT/signal of the real signaling server the test run started. */
export async function signalingUrl(): Promise<string> {
  return (await executeServerCommand('signaling-url')) as string;
}

export interface CallPair {
  room: string;
  a: P2PCall;
  b: P2PCall;
  container: HTMLElement;
}

/**
 * Two elements in one room. `signaling` is an attribute value, or a factory for an adapter object per element.
 * Neither auto-joins unless `autoJoin` is set, so a test can attach listeners first.
 */
export async function callPair(
  signaling: string | (() => SignalingAdapter),
  { autoJoin = true, names = ['Ada', 'Grace'] } = {},
): Promise<CallPair> {
  const room = uniqueRoom();
  const container = await fixture<HTMLDivElement>(html`<div style="display:flex;gap:8px;width:900px"></div>`);
  const make = (name: string) => {
    const element = document.createElement('p2p-call');
    element.room = room;
    element.name = name;
    element.style.width = '440px';
    if (typeof signaling === 'string') element.setAttribute('signaling', signaling);
    else element.signaling = signaling();
    element.setAttribute('ice-servers', '[]');
    container.append(element);
    return element;
  };
  const a = make(names[0]);
  const b = make(names[1]);
  if (autoJoin) {
    await a.updateComplete;
    void a.join();
    void b.join();
  }
  return { room, a, b, container };
}

/**
 * Two elements already connected to each other over BroadcastChannel. A first connect that stalls is replaced by
 * the session's watchdog after STALL_TIMEOUT_MS, so the wait allows for that, and says so in the run's output
 * whenever a pair needed it (it should not: see scripts/stress-connect.mjs).
 */
export async function connectedPair(): Promise<CallPair> {
  const pair = await callPair('broadcast');
  const recoveries: string[] = [];
  for (const element of [pair.a, pair.b]) {
    element.addEventListener('p2p-reconnecting', ({ detail }) => recoveries.push(`${element.name}: ${detail.reason}`));
  }
  await waitForState(pair.a, 'connected', STALL_TIMEOUT_MS + 15_000);
  await waitForState(pair.b, 'connected', STALL_TIMEOUT_MS + 15_000);
  if (recoveries.length) console.warn(`connectedPair: the first connect needed a recovery (${recoveries.join(', ')})`);
  return pair;
}

/** An element with a small fake camera of its own (720p encodes on two slow cores would only add noise). */
export async function smallCameraElement(room: string, signaling: string, name: string): Promise<P2PCall> {
  const call = await fixture<P2PCall>(
    html`<p2p-call .room=${room} .name=${name} ice-servers="[]" style="width:400px"></p2p-call>`,
  );
  call.signaling = signaling;
  call.localStream = (await smallCamera()).stream;
  return call;
}
