;; One cascade level of dlib's shape_predictor, in two steps around the JavaScript pixel lookup
;; (the frame stays in JavaScript memory): `positions` places the cascade's feature pixels on the
;; image, `trees` walks its regression trees on their intensities and adds the chosen leaves onto
;; the shape. Assembled by scripts/assemble-wasm.mjs into cascade-wasm.ts (the bytes the package
;; loads); the float32 arithmetic is dlib's, operation for operation, so results are bit-identical.
;;
;; Memory (imported; laid out by wasm-cascade.ts, byte addresses):
;;   shape   float32 (x, y) per part, 16-byte aligned
;;   anchor  per feature pixel 12 bytes: i32 byte offset of its anchor point in the shape,
;;           f32 dx, f32 dy (offset from the anchor in the mean shape's frame)
;;   pixels  per feature pixel the i32 index (y * cols + x) of its pixel in the frame, -1 outside
;;   feats   the feature pixels' intensities, float32
;;   trees   per tree 12 bytes: i32 address of its first split, i32 number of splits,
;;           i32 address of its first leaf
;;   split   8 bytes: u16 feature index 1, u16 feature index 2, f32 threshold
;;   leaf    bytes/16 float32x4 vectors, 16-byte aligned
;;   list    scratch: one i32 per tree, the address of the leaf it chose, then one spare word
(module
  (import "env" "memory" (memory 1))

  ;; dlib's extract_feature_pixel_values after the similarity transform m (float32, as dlib's
  ;; matrix<float,2,2>) is known: pixel = m * delta + anchor in float32, to pixels in double with
  ;; the box's unnormalising transform, then floor(v + 0.5) as dlib's point conversion.
  (func (export "positions")
    (param $shape i32) (param $anchors i32) (param $n i32) (param $pixels i32)
    (param $m00 f32) (param $m01 f32) (param $m10 f32) (param $m11 f32)
    (param $left f64) (param $top f64) (param $width f64) (param $height f64)
    (param $cols i32) (param $rows i32)
    (local $end i32) (local $a i32) (local $dx f32) (local $dy f32) (local $px f64) (local $py f64)
    (local.set $end (i32.add (local.get $pixels) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $pixel
        (br_if $done (i32.ge_u (local.get $pixels) (local.get $end)))
        (local.set $a (i32.add (local.get $shape) (i32.load (local.get $anchors))))
        (local.set $dx (f32.load offset=4 (local.get $anchors)))
        (local.set $dy (f32.load offset=8 (local.get $anchors)))
        (local.set $px
          (f64.floor (f64.add (f64.add
            (f64.mul (local.get $width) (f64.promote_f32
              (f32.add (f32.add (f32.mul (local.get $m00) (local.get $dx)) (f32.mul (local.get $m01) (local.get $dy)))
                       (f32.load (local.get $a)))))
            (local.get $left)) (f64.const 0.5))))
        (local.set $py
          (f64.floor (f64.add (f64.add
            (f64.mul (local.get $height) (f64.promote_f32
              (f32.add (f32.add (f32.mul (local.get $m10) (local.get $dx)) (f32.mul (local.get $m11) (local.get $dy)))
                       (f32.load offset=4 (local.get $a)))))
            (local.get $top)) (f64.const 0.5))))
        ;; outside the image (or NaN): -1; the saturating conversions cannot trap
        (i32.store (local.get $pixels)
          (select
            (i32.add
              (i32.mul (i32.trunc_sat_f64_s (local.get $py)) (local.get $cols))
              (i32.trunc_sat_f64_s (local.get $px)))
            (i32.const -1)
            (i32.and
              (i32.and (f64.ge (local.get $px) (f64.const 0)) (f64.lt (local.get $px) (f64.convert_i32_s (local.get $cols))))
              (i32.and (f64.ge (local.get $py) (f64.const 0)) (f64.lt (local.get $py) (f64.convert_i32_s (local.get $rows)))))))
        (local.set $anchors (i32.add (local.get $anchors) (i32.const 12)))
        (local.set $pixels (i32.add (local.get $pixels) (i32.const 4)))
        (br $pixel))))

  (func (export "trees")
    (param $shape i32) (param $trees i32) (param $numTrees i32) (param $feats i32)
    (param $list i32) (param $bytes i32)
    (local $t i32) (local $rec i32) (local $splits i32) (local $n i32) (local $i i32) (local $s i32)
    (local $end i32) (local $k i32) (local $touched i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $a4 i32) (local $a5 i32) (local $a6 i32) (local $a7 i32)

    ;; Walk: i -> 2i+1 (left) when feats[idx1] - feats[idx2] > thresh, else 2i+2, until i is a
    ;; leaf (i >= n). Branch-free: the comparison's 0/1 picks the child, so the 50/50 splits cost
    ;; no mispredictions. The pixels are integers 0-255, so f32.sub is exact, as in dlib.
    (block $walked
      (loop $tree
        (br_if $walked (i32.ge_u (local.get $t) (local.get $numTrees)))
        (local.set $rec (i32.add (local.get $trees) (i32.mul (local.get $t) (i32.const 12))))
        (local.set $splits (i32.load (local.get $rec)))
        (local.set $n (i32.load offset=4 (local.get $rec)))
        (local.set $i (i32.const 0))
        (block $leaf
          (loop $walk
            (br_if $leaf (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $s (i32.add (local.get $splits) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $i
              (i32.sub
                (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 2))
                (f32.gt
                  (f32.sub
                    (f32.load (i32.add (local.get $feats) (i32.shl (i32.load16_u (local.get $s)) (i32.const 2))))
                    (f32.load (i32.add (local.get $feats) (i32.shl (i32.load16_u offset=2 (local.get $s)) (i32.const 2)))))
                  (f32.load offset=4 (local.get $s)))))
            (br $walk)))
        (i32.store
          (i32.add (local.get $list) (i32.shl (local.get $t) (i32.const 2)))
          (i32.add
            (i32.load offset=8 (local.get $rec))
            (i32.mul (i32.sub (local.get $i) (local.get $n)) (local.get $bytes))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tree)))

    ;; Fetch: touch every 64-byte line of every chosen leaf, in a tight loop of loads that do
    ;; not wait on each other, so that many cache misses are in flight at once; the sum below then
    ;; finds the leaves in cache (a cascade's 500 leaves of 544 bytes take a quarter of a 1 MB
    ;; L2). Measured: ~7% less time per face with cold caches, ~7% more with the leaves in L3.
    ;; The words read are ORed into a scratch word after the list, so no load is optimised away.
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $numTrees) (i32.const 2))))
    (local.set $t (local.get $list))
    (block $fetched
      (loop $leaf
        (br_if $fetched (i32.ge_u (local.get $t) (local.get $end)))
        (local.set $a0 (i32.load (local.get $t)))
        (local.set $touched (i32.or (local.get $touched) (i32.load (i32.sub (i32.add (local.get $a0) (local.get $bytes)) (i32.const 4)))))
        (local.set $k (i32.const 0))
        (block $wide
          (loop $lines
            (br_if $wide (i32.gt_u (i32.add (local.get $k) (i32.const 512)) (local.get $bytes)))
            (local.set $s (i32.add (local.get $a0) (local.get $k)))
            (local.set $touched (i32.or (local.get $touched) (i32.load (local.get $s))))
            (local.set $touched (i32.or (local.get $touched) (i32.load offset=64 (local.get $s))))
            (local.set $touched (i32.or (local.get $touched) (i32.load offset=128 (local.get $s))))
            (local.set $touched (i32.or (local.get $touched) (i32.load offset=192 (local.get $s))))
            (local.set $touched (i32.or (local.get $touched) (i32.load offset=256 (local.get $s))))
            (local.set $touched (i32.or (local.get $touched) (i32.load offset=320 (local.get $s))))
            (local.set $touched (i32.or (local.get $touched) (i32.load offset=384 (local.get $s))))
            (local.set $touched (i32.or (local.get $touched) (i32.load offset=448 (local.get $s))))
            (local.set $k (i32.add (local.get $k) (i32.const 512)))
            (br $lines)))
        (block $narrow
          (loop $line
            (br_if $narrow (i32.ge_u (local.get $k) (local.get $bytes)))
            (local.set $touched (i32.or (local.get $touched) (i32.load (i32.add (local.get $a0) (local.get $k)))))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br $line)))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $leaf)))
    (i32.store (local.get $end) (local.get $touched))

    ;; Sum, 8 leaves at a time: each shape vector is loaded once, gets the 8 leaves' vectors added
    ;; in tree order and is stored once. Per lane that is the same sequence of float32 additions
    ;; as one leaf at a time (bit-identical), with far fewer loads and stores of the shape.
    (block $grouped
      (loop $group
        (br_if $grouped (i32.gt_u (i32.add (local.get $list) (i32.const 32)) (local.get $end)))
        (local.set $a0 (i32.load (local.get $list)))
        (local.set $a1 (i32.load offset=4 (local.get $list)))
        (local.set $a2 (i32.load offset=8 (local.get $list)))
        (local.set $a3 (i32.load offset=12 (local.get $list)))
        (local.set $a4 (i32.load offset=16 (local.get $list)))
        (local.set $a5 (i32.load offset=20 (local.get $list)))
        (local.set $a6 (i32.load offset=24 (local.get $list)))
        (local.set $a7 (i32.load offset=28 (local.get $list)))
        (local.set $k (i32.const 0))
        (loop $vector
          (v128.store (i32.add (local.get $shape) (local.get $k))
            (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add
              (v128.load (i32.add (local.get $shape) (local.get $k)))
              (v128.load (i32.add (local.get $a0) (local.get $k))))
              (v128.load (i32.add (local.get $a1) (local.get $k))))
              (v128.load (i32.add (local.get $a2) (local.get $k))))
              (v128.load (i32.add (local.get $a3) (local.get $k))))
              (v128.load (i32.add (local.get $a4) (local.get $k))))
              (v128.load (i32.add (local.get $a5) (local.get $k))))
              (v128.load (i32.add (local.get $a6) (local.get $k))))
              (v128.load (i32.add (local.get $a7) (local.get $k)))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $vector (i32.lt_u (local.get $k) (local.get $bytes))))
        (local.set $list (i32.add (local.get $list) (i32.const 32)))
        (br $group)))

    ;; The last numTrees mod 8 leaves, one at a time.
    (block $summed
      (loop $rest
        (br_if $summed (i32.ge_u (local.get $list) (local.get $end)))
        (local.set $a0 (i32.load (local.get $list)))
        (local.set $k (i32.const 0))
        (loop $vector
          (v128.store (i32.add (local.get $shape) (local.get $k))
            (f32x4.add
              (v128.load (i32.add (local.get $shape) (local.get $k)))
              (v128.load (i32.add (local.get $a0) (local.get $k)))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $vector (i32.lt_u (local.get $k) (local.get $bytes))))
        (local.set $list (i32.add (local.get $list) (i32.const 4)))
        (br $rest)))))
