/** TLS material for popbridge: PEM and PKCS#12 loading, trust bundles, generated certificates and a local CA. */
package org.popbridge.certs;
