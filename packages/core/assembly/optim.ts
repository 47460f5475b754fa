/**
 * @file Fused SGD and Adam steps on float32 buffers, computed in float64 lanes (f64x2) with the cpu kernels'
 * operations in their order and every stored value rounded to float32 where the cpu kernel stores it, so
 * both backends give the same bits. Four elements per iteration (two f64x2 halves); the caller pads buffers
 * to whole vectors.
 */

function lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

function hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
}

/** Rounds two float64 pairs to float32 and packs them back into one f32x4. */
function pack(l: v128, h: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(l), f32x4.demote_f64x2_zero(h), 0, 2);
}

/** A float64 pair rounded to float32 and back: the value the cpu kernel reads after storing it. */
function round32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

function sgdHalf(p: v128, g: v128, sign: v128, lr: v128, weightDecay: v128, decay: bool): v128 {
  let d = f64x2.mul(sign, g);
  if (decay) d = f64x2.add(d, f64x2.mul(weightDecay, p));
  return f64x2.sub(p, f64x2.mul(lr, d));
}

/** p = p - lr·(sign·g + weightDecay·p), the weight-decay term only when weightDecay !== 0 (as the cpu kernel). */
export function sgdPlainF32(p: usize, g: usize, n: i32, lr: f64, weightDecay: f64, sign: f64): void {
  const end = p + ((<usize>n) << 2);
  const vs = f64x2.splat(sign);
  const vl = f64x2.splat(lr);
  const vw = f64x2.splat(weightDecay);
  if (weightDecay !== 0) {
    for (; p < end; p += 16, g += 16) {
      const pv = v128.load(p);
      const gv = v128.load(g);
      v128.store(p, pack(sgdHalf(lo(pv), lo(gv), vs, vl, vw, true), sgdHalf(hi(pv), hi(gv), vs, vl, vw, true)));
    }
  } else {
    for (; p < end; p += 16, g += 16) {
      const pv = v128.load(p);
      const gv = v128.load(g);
      v128.store(p, pack(sgdHalf(lo(pv), lo(gv), vs, vl, vw, false), sgdHalf(hi(pv), hi(gv), vs, vl, vw, false)));
    }
  }
}

/** buf = buf·momentum + keep·(sign·g); p = p - lr·buf (momentum after the first step, no Nesterov, no decay). */
export function sgdMomentumF32(
  p: usize,
  g: usize,
  buf: usize,
  n: i32,
  lr: f64,
  momentum: f64,
  keep: f64,
  sign: f64,
): void {
  const end = p + ((<usize>n) << 2);
  const vs = f64x2.splat(sign);
  const vl = f64x2.splat(lr);
  const vm = f64x2.splat(momentum);
  const vk = f64x2.splat(keep);
  for (; p < end; p += 16, g += 16, buf += 16) {
    const gv = v128.load(g);
    const bv = v128.load(buf);
    const pv = v128.load(p);
    const bl = round32(f64x2.add(f64x2.mul(lo(bv), vm), f64x2.mul(vk, f64x2.mul(vs, lo(gv)))));
    const bh = round32(f64x2.add(f64x2.mul(hi(bv), vm), f64x2.mul(vk, f64x2.mul(vs, hi(gv)))));
    v128.store(buf, pack(bl, bh));
    v128.store(p, pack(f64x2.sub(lo(pv), f64x2.mul(vl, bl)), f64x2.sub(hi(pv), f64x2.mul(vl, bh))));
  }
}

/** Adam's common case (no amsgrad, no L2 decay; `decay` is AdamW's 1 - lr·weightDecay, 1 for Adam). */
export function adamPlainF32(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  n: i32,
  decay: f64,
  beta1: f64,
  beta2: f64,
  keep1: f64,
  keep2: f64,
  stepSize: f64,
  bias2Sqrt: f64,
  eps: f64,
  sign: f64,
): void {
  const end = p + ((<usize>n) << 2);
  const vDecay = f64x2.splat(decay);
  const vBeta1 = f64x2.splat(beta1);
  const vBeta2 = f64x2.splat(beta2);
  const vKeep1 = f64x2.splat(keep1);
  const vKeep2 = f64x2.splat(keep2);
  const vStep = f64x2.splat(-stepSize);
  const vBias = f64x2.splat(bias2Sqrt);
  const vEps = f64x2.splat(eps);
  const vSign = f64x2.splat(sign);
  for (; p < end; p += 16, g += 16, m += 16, v += 16) {
    const pv = v128.load(p);
    const gv = v128.load(g);
    const mv = v128.load(m);
    const vv = v128.load(v);
    const gl = f64x2.mul(vSign, lo(gv));
    const gh = f64x2.mul(vSign, hi(gv));
    const pl = round32(f64x2.mul(lo(pv), vDecay));
    const ph = round32(f64x2.mul(hi(pv), vDecay));
    const ml = round32(f64x2.add(f64x2.mul(lo(mv), vBeta1), f64x2.mul(vKeep1, gl)));
    const mh = round32(f64x2.add(f64x2.mul(hi(mv), vBeta1), f64x2.mul(vKeep1, gh)));
    const sl = round32(f64x2.add(f64x2.mul(lo(vv), vBeta2), f64x2.mul(f64x2.mul(vKeep2, gl), gl)));
    const sh = round32(f64x2.add(f64x2.mul(hi(vv), vBeta2), f64x2.mul(f64x2.mul(vKeep2, gh), gh)));
    const dl = f64x2.add(f64x2.div(f64x2.sqrt(sl), vBias), vEps);
    const dh = f64x2.add(f64x2.div(f64x2.sqrt(sh), vBias), vEps);
    v128.store(m, pack(ml, mh));
    v128.store(v, pack(sl, sh));
    v128.store(
      p,
      pack(f64x2.add(pl, f64x2.div(f64x2.mul(vStep, ml), dl)), f64x2.add(ph, f64x2.div(f64x2.mul(vStep, mh), dh))),
    );
  }
}
