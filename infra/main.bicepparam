// Example parameters. The admin key comes from the environment so it never lands in a file:
//   export TELEPHONY_ADMIN_KEY=$(openssl rand -base64 36)
using 'main.bicep'

param namePrefix = 'tel'
param adminKey = readEnvironmentVariable('TELEPHONY_ADMIN_KEY')
param nodeResourceGroupName = 'telephony-nodes'
param nodeImage = 'myregistry.azurecr.io/telephony-media-node:latest'
param nodeCpuCores = 2
param nodeMemoryGb = 2
param nodeMaxConcurrentCalls = 50
param nodeMinCount = 1
param nodeMaxCount = 10
param httpAlwaysReadyInstances = 1
