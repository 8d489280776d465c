// Key Vault for secrets the programs read through Key Vault references (the operator admin key)
// and for trunk credentials. Access is by Azure RBAC only; no access policies.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Key Vault name: 3-24 letters, digits and dashes, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Name of the secret holding the operator admin key.')
param adminKeySecretName string

@description('The operator admin key (Telephony:AdminKey): HTTP Basic password of the `admin` user for account management.')
@secure()
@minLength(32)
param adminKey string

@description('Name of the secret holding the node key.')
param nodeKeySecretName string

@description('The key media nodes present to the functions\' node endpoints (Telephony:NodeKey).')
@secure()
@minLength(32)
param nodeKey string

@description('Name of the secret holding the secrets key.')
param secretsKeySecretName string

@description('The platform key that seals API key secrets (Telephony:SecretsKey).')
@secure()
@minLength(32)
param secretsKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource adminKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: adminKeySecretName
  properties: {
    value: adminKey
    contentType: 'text/plain'
  }
}

resource nodeKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: nodeKeySecretName
  properties: {
    value: nodeKey
    contentType: 'text/plain'
  }
}

resource secretsKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretsKeySecretName
  properties: {
    value: secretsKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
output id string = vault.id
output vaultUri string = vault.properties.vaultUri
output adminKeySecretName string = adminKeySecret.name
