/** The part of sm-crypto 0.5 this module uses (the package ships no types). */
declare module 'sm-crypto' {
  interface Sm2SignOptions {
    hash?: boolean;
    der?: boolean;
    publicKey?: string;
    userId?: string;
  }
  export const sm2: {
    generateKeyPairHex(): { publicKey: string; privateKey: string };
    getPublicKeyFromPrivateKey(privateKey: string): string;
    verifyPublicKey(publicKey: string): boolean;
    doSignature(msg: string | Uint8Array | number[], privateKey: string, options?: Sm2SignOptions): string;
    doVerifySignature(
      msg: string | Uint8Array | number[],
      signature: string,
      publicKey: string,
      options?: Omit<Sm2SignOptions, 'publicKey'>,
    ): boolean;
  };
  const smCrypto: { sm2: typeof sm2 };
  export default smCrypto;
}
