export { installDevtoolsBridge } from './installDevtoolsBridge'
export type { DevtoolsBridgeOptions, MockControls } from './installDevtoolsBridge'
export { DevtoolsCommandError } from './DevtoolsCommandError'
export type { DevtoolsCommandErrorCode } from './DevtoolsCommandError'
export {
  BRIDGE_NAMESPACE,
  BRIDGE_VERSION,
  EVENT_HISTORY_LIMIT,
  LIFETIME_LIMITS,
  MOCK_COMMANDS,
  envelope,
  maskToken,
  parseCommand,
  readBridgeMessage,
  serializeError,
} from './protocol'
export type {
  BridgeCommand,
  BridgeCommandType,
  BridgeDirection,
  BridgeEvent,
  ExtensionEnvelope,
  ExtensionMessage,
  FailRefreshStatus,
  PageEnvelope,
  PageMessage,
  SerializedError,
  SessionSnapshot,
} from './protocol'
export { describeAuthEvent, describeEndReason } from './describeAuthEvent'
export type { EventDescription } from './describeAuthEvent'
export { createDevtoolsHandle } from './createDevtoolsHandle'
export type { DevtoolsHandle } from './createDevtoolsHandle'
