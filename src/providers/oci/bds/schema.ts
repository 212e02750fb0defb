/** JSON-Schema fragment of the `oci.bds_api_key` key entry (see ../schema.ts). */
import type { JsonSchema } from '../../module.js';

export const bdsApiKeySchema: JsonSchema = {
  description:
    "OCI Big Data Service API key: the cluster creates it on behalf of a user and keeps the passphrase-encrypted private key on the cluster, under the alias its jobs use. It takes one of the user's 3 IAM API key slots. Nothing secret is delivered, so it has no outputs.",
  required: ['cluster', 'alias', 'user', 'passphrase'],
  properties: {
    passphrase: {
      title: 'Passphrase variable',
      description:
        '`{ env: NAME }`: the passphrase BDS encrypts the key with, read from environment variable NAME at apply time and sent only to BDS. Required: `none` is not allowed. It cannot be changed later; a new passphrase needs a new key (`--rotate`).',
      type: 'object',
      errorMessage: 'must be { env: VARIABLE }: a BDS API key always needs a passphrase',
    },
    cluster: {
      title: 'Cluster OCID',
      description:
        'OCID of the Big Data Service cluster (bdsInstanceId) that creates and holds the key. Changing it deletes the key and creates one on the new cluster.',
      type: 'string',
      pattern: '^ocid1\\.bigdataservice\\.',
      patternErrorMessage: 'must be a Big Data Service cluster OCID (ocid1.bigdataservice.…)',
    },
    alias: {
      title: 'Key alias',
      description:
        "The name the cluster's jobs use for the key; ASCII letters and digits only, unique per cluster. Changing it deletes the key and creates one under the new alias.",
      type: 'string',
      pattern: '^[A-Za-z0-9]+$',
      patternErrorMessage: 'must contain only ASCII letters and digits (no spaces, "-" or "_")',
    },
    user: {
      title: 'User OCID',
      description:
        "OCID of the IAM user the key is created for; it uses one of that user's 3 API key slots. Changing it replaces the key under the same alias.",
      type: 'string',
      pattern: '^ocid1\\.user\\.',
      patternErrorMessage: 'must be a user OCID (ocid1.user.…)',
    },
    default_region: {
      title: 'Default region',
      description:
        "Object Storage region the key defaults to, e.g. `us-ashburn-1`. Default: the cluster's region. Changing it replaces the key under the same alias.",
      type: 'string',
      pattern: '^[a-z0-9]+(-[a-z0-9]+)+$',
      patternErrorMessage: 'must be an OCI region identifier such as us-ashburn-1',
    },
    test_connection: {
      title: 'Connection test',
      description:
        'After creating the key, run TestBdsObjectStorageConnection against this Object Storage URI; if the test fails, the new key is deleted again and the step fails.',
      type: 'object',
      required: ['object_storage_uri'],
      properties: {
        object_storage_uri: {
          title: 'Object Storage URI',
          description: 'HDFS connector URI of a bucket the key should reach, e.g. `oci://bucket@namespace/`.',
          type: 'string',
          pattern: '^oci://[^\\s]+$',
          patternErrorMessage: 'must be an Object Storage URI such as oci://bucket@namespace/',
        },
        region: {
          title: 'Object Storage region',
          description: "Region of the bucket. Default: the key's default region.",
          type: 'string',
          pattern: '^[a-z0-9]+(-[a-z0-9]+)+$',
          patternErrorMessage: 'must be an OCI region identifier such as us-ashburn-1',
        },
      },
      additionalProperties: false,
    },
    outputs: {
      title: 'Outputs',
      description: 'Always empty: BDS keeps the private key on the cluster, so there is nothing to deliver.',
      type: 'array',
      maxItems: 0,
      errorMessage: 'must be empty: BDS keeps the private key on the cluster, so an oci.bds_api_key has nothing to write to outputs',
    },
  },
};
