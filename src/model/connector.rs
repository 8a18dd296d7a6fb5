//! The bodies of the two connector deletions v1.22 adds. Both are `DELETE` requests
//! that name the connector in a JSON body rather than in the path.

use serde::Serialize;

/// The body of `DELETE /csapi/v1.3/registry/acr/connector`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcrConnectorDeletion {
    /// The ACR connector's UUID.
    pub connector_id: String,
}

/// The body of `DELETE /csapi/v1.3/registry/aws/connector`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwsConnectorDeletion {
    /// The IAM role ARN of the AWS ECR connector.
    pub arn: String,
}
