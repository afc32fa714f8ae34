#!/usr/bin/env bash
# Generates the TLS material of the Kafka brokers' EXTERNAL (SASL_SSL) listener, for a deployment without a
# certificate from an existing CA: a private CA, and one broker certificate whose subjectAltNames are every broker's
# compose hostname, localhost and the external host names given.
#
#   GBM_KAFKA_TLS_KEYSTORE_PASSWORD=… deploy/compose/kafka-tls/generate.sh <directory> [external-host …]
#
# Writes into <directory> (created, mode 0700):
#   ca.crt       the CA certificate: give it to the other ministries' systems (librdkafka `ssl.ca.location`,
#                Java `ssl.truststore.type=PEM` + `ssl.truststore.location`); the services' internal listener needs none
#   ca.key       the CA's private key: keep it offline (it signs the next broker certificate), never mount it
#   broker.p12   PKCS#12 keystore (broker key + certificate + CA), password GBM_KAFKA_TLS_KEYSTORE_PASSWORD: the
#                brokers mount the directory read-only at /etc/kafka/tls (docker-compose.yml)
#   broker.crt   the broker certificate, for inspection (`openssl x509 -in broker.crt -noout -text`)
#
# An existing ca.key/ca.crt in <directory> is reused, so adding a host name re-issues only the broker certificate and
# partners keep their ca.crt. With a certificate from your own CA instead, put its chain and key into broker.p12
# (`openssl pkcs12 -export -in chain.crt -inkey broker.key -out broker.p12`) and hand out that CA's certificate.
set -euo pipefail

dir=${1:?usage: generate.sh <directory> [external-host …]}
shift
: "${GBM_KAFKA_TLS_KEYSTORE_PASSWORD:?set GBM_KAFKA_TLS_KEYSTORE_PASSWORD (the keystore password the brokers are given)}"
days=${GBM_KAFKA_TLS_DAYS:-825}

umask 077
mkdir -p "$dir"
chmod 0700 "$dir"
cd "$dir"

if [ ! -f ca.key ] || [ ! -f ca.crt ]; then
  openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 3650 -subj "/O=GBM/CN=GBM Kafka CA" \
    -keyout ca.key -out ca.crt 2>/dev/null
fi

san="DNS:kafka-1,DNS:kafka-2,DNS:kafka-3,DNS:localhost,IP:127.0.0.1"
for host in "$@"; do
  if [[ $host =~ ^[0-9.]+$ ]]; then san+=",IP:$host"; else san+=",DNS:$host"; fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -new -newkey rsa:3072 -nodes -sha256 -subj "/O=GBM/CN=kafka" \
  -keyout "$work/broker.key" -out "$work/broker.csr" 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n' \
  "$san" > "$work/ext.cnf"
openssl x509 -req -sha256 -days "$days" -in "$work/broker.csr" -CA ca.crt -CAkey ca.key -CAcreateserial \
  -extfile "$work/ext.cnf" -out broker.crt 2>/dev/null
openssl pkcs12 -export -name kafka -in broker.crt -inkey "$work/broker.key" -certfile ca.crt \
  -passout env:GBM_KAFKA_TLS_KEYSTORE_PASSWORD -out broker.p12
rm -f ca.srl
# The brokers run as the image's user (uid 1000): they must read the keystore; the CA key stays private.
chmod 0644 ca.crt broker.crt broker.p12
chmod 0755 .
echo "kafka TLS: $dir/broker.p12 for $san; give partners $dir/ca.crt" >&2
