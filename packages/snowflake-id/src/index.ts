export { decodeSnowflake, type SnowflakeInput, type SnowflakeParts } from './decode.js'
export { ClockBackwardsError, SnowflakeError, type SnowflakeErrorCode } from './errors.js'
export {
  endOfLife,
  type FieldsOf,
  type LayoutSpec,
  type PresetFieldNames,
  type PresetName,
  presets,
  type SnowflakeField,
  type SnowflakeLayout,
} from './layout.js'
export {
  type ClockBackwardsPolicy,
  type FieldOptions,
  Snowflake,
  type SnowflakeBaseOptions,
  type SnowflakeOptions,
} from './snowflake.js'
