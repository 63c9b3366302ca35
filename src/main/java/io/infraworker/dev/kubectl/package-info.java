/**
 * A kubectl-compatible HTTP front of the dev stack's mock Kubernetes API: discovery, OpenAPI, Tables,
 * plain HTTP watches, patch translation, the scale subresource, field selectors and dry runs, with
 * everything else passed to the mock unchanged. Only kubectl and people use it; the operator talks to
 * the mock directly.
 */
package io.infraworker.dev.kubectl;
