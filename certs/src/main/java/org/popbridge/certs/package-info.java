/** TLS material for popbridge: PEM loading, trust bundles and generated certificates. */
package org.popbridge.certs;
