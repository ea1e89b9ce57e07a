import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONNECTOR_FIELDS } from '../config/connectors.js';
import { CREDENTIAL_FIELDS } from './credential-fields.js';
import { createConnectorRuntime } from './kit/runtime.js';
import { CONNECTOR_FACTORIES, loadConnector } from './registry.js';

test('every connector with handlers reads exactly the fields the catalog declares for it', async () => {
  const runtime = createConnectorRuntime();
  for (const name of Object.keys(CONNECTOR_FACTORIES)) {
    const connector = await loadConnector(name, runtime);
    assert.ok(CREDENTIAL_FIELDS[name], `${name} has no entry in CREDENTIAL_FIELDS`);
    assert.equal(CREDENTIAL_FIELDS[name], connector.credentials.fields, `${name}: not the module's fields`);
  }
});

test('arx.yaml can set every declared field, and each connector has a field that identifies it', () => {
  const configurable = CONNECTOR_FIELDS as Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  for (const [name, fields] of Object.entries(CREDENTIAL_FIELDS)) {
    const keys = Object.keys(configurable[name] ?? {});
    for (const field of fields) {
      assert.ok(keys.includes(field.config), `connectors.${name}.${field.config} is not in CONNECTOR_FIELDS`);
    }
    assert.ok(
      fields.some((field) => field.identifies),
      `${name}: no field marks the connector as configured`,
    );
  }
});

test('no environment variable is declared by two fields', () => {
  const variables = Object.values(CREDENTIAL_FIELDS)
    .flat()
    .flatMap((field) => (field.env ? [field.env] : []));
  assert.deepEqual(
    variables.filter((variable, i) => variables.indexOf(variable) !== i),
    [],
  );
});
