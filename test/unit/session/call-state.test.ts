import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CallState,
  deriveCallState,
  isActive,
  type PeerFacts,
  type SessionPhase,
} from '../../../src/session/call-state.js';

const up: PeerFacts = { connected: true, wasConnected: true };
const first: PeerFacts = { connected: false, wasConnected: false };
const lost: PeerFacts = { connected: false, wasConnected: true };

describe('deriveCallState: every state from the facts', () => {
  const table: Array<[SessionPhase, PeerFacts[], CallState, string]> = [
    ['idle', [], CallState.Idle, 'before join'],
    ['joining', [], CallState.Joining, 'camera and signaling on their way'],
    ['joining', [up], CallState.Joining, 'joining wins over peers (none can be there yet)'],
    ['joined', [], CallState.Waiting, 'alone in the room'],
    ['joined', [first], CallState.Connecting, 'someone is here, first connection on its way'],
    ['joined', [up], CallState.Connected, 'the link is up'],
    ['joined', [lost], CallState.Reconnecting, 'the link was up and is being replaced'],
    ['joined', [lost, up], CallState.Connected, 'anyone connected: the call goes on'],
    ['joined', [first, lost], CallState.Reconnecting, 'someone connected before is being recovered'],
    ['joined', [first, first], CallState.Connecting, 'several first connections'],
    ['ended', [up], CallState.Ended, 'left'],
    ['failed', [up], CallState.Error, 'stopped by a fatal error'],
  ];
  for (const [phase, peers, expected, why] of table) {
    it(`${phase} + [${peers.map((peer) => (peer === up ? 'up' : peer === lost ? 'lost' : 'first')).join(', ')}] -> ${expected} (${why})`, () => {
      assert.equal(deriveCallState({ phase, peers }), expected);
    });
  }

  it('is active (holds media and signaling) exactly while joining or in the room', () => {
    const active = Object.values(CallState).filter(isActive);
    assert.deepEqual(active, ['joining', 'waiting', 'connecting', 'connected', 'reconnecting']);
  });
});
