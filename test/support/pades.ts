import { createHash, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/**
 * A throwaway signing certificate for tests (self-signed RSA, as a PKCS#12 with a passphrase), and
 * an independent check of a PDF's PAdES signature: it reads /ByteRange and /Contents itself and
 * decodes the CMS with node-forge (the signer builds it with @peculiar/asn1-cms and node:crypto).
 */

export interface TestCertificate {
  p12: Buffer;
  passphrase: string;
  certificate: forge.pki.Certificate;
  certificateDer: Buffer;
}

export function testCertificate({ commonName, passphrase, notBefore, notAfter }: { commonName: string; passphrase: string; notBefore?: Date; notAfter?: Date }): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `0${createHash('sha256').update(commonName).digest('hex').slice(0, 15)}`;
  cert.validity.notBefore = notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = notAfter ?? new Date(Date.now() + 20 * 365 * 24 * 3600 * 1000);
  const name = [
    { shortName: 'CN', value: commonName },
    { shortName: 'O', value: 'Alcaldía de Pruebas', valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: 'C', value: 'CO' },
  ];
  cert.setSubject(name as forge.pki.CertificateField[]);
  cert.setIssuer(name as forge.pki.CertificateField[]);
  cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des' })).getBytes();
  return {
    p12: Buffer.from(p12, 'binary'),
    passphrase,
    certificate: cert,
    certificateDer: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'),
  };
}

const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

export interface PadesCheck {
  subFilter: string | null;
  byteRange: number[];
  /** The byte range covers the whole file but the /Contents hex string. */
  coversAllButContents: boolean;
  messageDigestMatches: boolean;
  signatureVerifies: boolean;
  /** signing-certificate-v2 names the certificate that signed (its SHA-256). */
  signingCertificateMatches: boolean;
  hasSigningTimeAttribute: boolean;
  signer: forge.pki.Certificate;
  valid: boolean;
}

type Node = forge.asn1.Asn1;
const children = (node: Node) => node.value as Node[];
const oidOf = (node: Node) => forge.asn1.derToOid(node.value as string);

/** Verifies the last signature of a PDF; every step is reported so a test can say which failed. */
export function checkPadesSignature(pdf: Buffer): PadesCheck {
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  if (!last) throw new Error('the PDF has no /ByteRange: it is not signed');
  const byteRange = last.slice(1, 5).map(Number) as [number, number, number, number];
  const [start, firstLength, second, secondLength] = byteRange;
  const coversAllButContents =
    start === 0 && text[firstLength] === '<' && text[second - 1] === '>' && second + secondLength === pdf.length && /^[0-9a-fA-F]+$/.test(text.slice(firstLength + 1, second - 1));
  const covered = Buffer.concat([pdf.subarray(start, start + firstLength), pdf.subarray(second, second + secondLength)]);
  const dictionary = text.slice(Math.max(0, last.index - 2000), last.index + 200);
  const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(dictionary)?.[1] ?? null;

  const cms = Buffer.from(text.slice(firstLength + 1, second - 1), 'hex');
  const contentInfo = forge.asn1.fromDer(forge.util.createBuffer(cms.toString('binary')), { parseAllBytes: false } as never);
  const message = forge.pkcs7.messageFromAsn1(contentInfo) as forge.pkcs7.PkcsSignedData & { rawCapture: { signerInfos: Node[] } };
  const [signerInfo] = message.rawCapture.signerInfos;
  if (!signerInfo) throw new Error('the CMS has no SignerInfo');
  const parts = children(signerInfo);
  const signedAttrs = parts.find((p) => p.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && p.type === 0);
  const signature = parts.find((p, i) => i > 3 && p.tagClass === forge.asn1.Class.UNIVERSAL && p.type === forge.asn1.Type.OCTETSTRING);
  if (!signedAttrs || !signature) throw new Error('the SignerInfo has no signed attributes or no signature');
  const attributes = new Map(children(signedAttrs).map((a) => [oidOf(children(a)[0]!), children(children(a)[1]!)[0]!]));

  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
  const digest = attributes.get(OID_MESSAGE_DIGEST);
  const messageDigestMatches = !!digest && Buffer.from(digest.value as string, 'binary').equals(sha256(covered));

  // The signature is over the attributes' DER with the SET tag (RFC 5652 5.4), not the [0] tag.
  const asSet = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, children(signedAttrs));
  const md = forge.md.sha256.create();
  md.update(forge.asn1.toDer(asSet).getBytes());
  const signerSerial = forge.util.createBuffer(children(children(parts[1]!)[1]!) as never).toHex();
  const signer = message.certificates.find((c) => c.serialNumber.replace(/^0+/, '') === signerSerial.replace(/^0+/, '')) ?? message.certificates[0]!;
  let signatureVerifies = false;
  try {
    signatureVerifies = (signer.publicKey as forge.pki.rsa.PublicKey).verify(md.digest().bytes(), signature.value as string);
  } catch {
    signatureVerifies = false;
  }
  const signerDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(signer)).getBytes(), 'binary');
  const essCertId = attributes.get(OID_SIGNING_CERTIFICATE_V2);
  const certHash = essCertId ? children(children(children(essCertId)[0]!)[0]!).find((n) => n.type === forge.asn1.Type.OCTETSTRING) : undefined;
  const signingCertificateMatches = !!certHash && Buffer.from(certHash.value as string, 'binary').equals(sha256(signerDer));

  return {
    subFilter,
    byteRange,
    coversAllButContents,
    messageDigestMatches,
    signatureVerifies,
    signingCertificateMatches,
    hasSigningTimeAttribute: attributes.has(OID_SIGNING_TIME),
    signer,
    valid: coversAllButContents && messageDigestMatches && signatureVerifies && signingCertificateMatches,
  };
}
